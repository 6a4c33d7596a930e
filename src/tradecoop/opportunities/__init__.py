"""tradecoop.opportunities"""
