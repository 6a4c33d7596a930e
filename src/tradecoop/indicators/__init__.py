"""tradecoop.indicators"""
