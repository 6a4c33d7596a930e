"""tradecoop.data"""
